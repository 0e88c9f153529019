// Compile-cost program, AWS SDK v3 as documented: bare client + `client.send(new GetObjectCommand(input))`. The same logic
// as ../tsaws/program.ts; only the SDK differs.
import { S3Client, NoSuchKey, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DynamoDBClient, PutItemCommand, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  EC2Client,
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";

const config = { region: "us-east-1" };
const s3 = new S3Client(config);
const ddb = new DynamoDBClient(config);
const ec2 = new EC2Client(config);

export async function storage(bucket: string): Promise<string[]> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a/hello.txt", Body: "hello", ContentType: "text/plain" }));
  let text = "";
  try {
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "a/hello.txt" }));
    text = (await obj.Body?.transformToString()) ?? "";
  } catch (e) {
    if (!(e instanceof NoSuchKey)) throw e;
  }
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", MaxKeys: 100 }));
  const keys = (list.Contents ?? []).map((o) => `${o.Key ?? ""}:${o.Size ?? 0}`);
  return [text, ...keys];
}

export async function table(name: string): Promise<number> {
  await ddb.send(
    new PutItemCommand({ TableName: name, Item: { pk: { S: "user#1" }, visits: { N: "1" }, tags: { SS: ["a"] } } }),
  );
  const got = await ddb.send(
    new GetItemCommand({ TableName: name, Key: { pk: { S: "user#1" } }, ConsistentRead: true }),
  );
  const visits = Number(got.Item?.["visits"]?.N ?? "0");
  const q = await ddb.send(
    new QueryCommand({
      TableName: name,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: "user#1" } },
      Limit: 10,
    }),
  );
  return visits + (q.Count ?? 0) + (q.Items ?? []).length;
}

export async function compute(): Promise<string[]> {
  const running = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] }),
  );
  const ids = (running.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId ?? ""));
  const started = await ec2.send(
    new RunInstancesCommand({ ImageId: "ami-12345678", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
  );
  const newIds = (started.Instances ?? []).map((i) => i.InstanceId ?? "");
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-12345678"] }));
  return [...newIds, ...(groups.SecurityGroups ?? []).map((g) => g.GroupName ?? "")];
}
