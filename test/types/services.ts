// Compile-time checks of the generated types: every `@ts-expect-error` line must be an error
// (tsc reports an unused one), and everything else must compile. Checked by types.test.ts.
import { S3, S3Client, GetObject, NoSuchKey, type PutObjectInput, type GetObjectOutput, type ObjectEncryption } from "tsaws/s3";
import { DynamoDB, DynamoDBClient, GetItem, ResourceNotFoundException, ConditionalCheckFailedException, type AttributeValue } from "tsaws/dynamodb";
import { EC2, type RunInstancesInput } from "tsaws/ec2";
import { Lambda, type InvokeInput } from "tsaws/lambda";
import { PartnerCentralRevenueMeasurement } from "tsaws/partnercentral-revenue-measurement";
import { ServiceError } from "tsaws";

declare const s3: S3;
declare const ddb: DynamoDB;
declare const ec2: EC2;
declare const lambda: Lambda;
declare const prm: PartnerCentralRevenueMeasurement;

export async function s3Checks(): Promise<void> {
  new S3({ region: "us-east-1", forcePathStyle: true, endpoint: "http://127.0.0.1:4568" });
  // @ts-expect-error misspelled config key
  new S3({ regoin: "us-east-1" });
  const put: PutObjectInput = { Bucket: "b", Key: "k", Body: "text" };
  await s3.putObject({ ...put, Body: new Uint8Array(1) });
  await s3.putObject({ Bucket: "b", Key: "k", Body: new Blob(["x"]) });
  // @ts-expect-error missing required member Key
  await s3.putObject({ Bucket: "b", Body: "x" });
  // @ts-expect-error misspelled member
  await s3.putObject({ Bucket: "b", Key: "k", Bodyy: "x" });
  // @ts-expect-error wrong enum value
  await s3.putObject({ Bucket: "b", Key: "k", ACL: "public-read-writ" });
  await s3.putObject({ Bucket: "b", Key: "k", ACL: "public-read" });
  // @ts-expect-error a string where a Date belongs
  await s3.putObject({ Bucket: "b", Key: "k", Expires: "2020-01-01" });
  // @ts-expect-error a string where a number belongs
  await s3.putObject({ Bucket: "b", Key: "k", ContentLength: "5" });
  const got: GetObjectOutput = await s3.getObject({ Bucket: "b", Key: "k" });
  const text: string | undefined = await got.Body?.transformToString();
  const bytes: Uint8Array | undefined = await got.Body?.transformToByteArray();
  void text;
  void bytes;
  const status: number | undefined = got.$metadata.httpStatusCode;
  void status;
  // Output enums are open: a new server value is still a string.
  const sc: string | undefined = got.StorageClass;
  void sc;
  // Exclusive unions: exactly one member.
  const sse: ObjectEncryption = { SSEKMS: { KMSKeyArn: "arn:aws:kms:us-east-1:1:key/k" } };
  void sse;
  // @ts-expect-error two members of an exclusive union
  const both: ObjectEncryption = { SSEKMS: { KMSKeyArn: "k" }, Foo: 1 };
  void both;
  // Bare client + operation constant.
  const bare = new S3Client({ region: "us-east-1" });
  const out = await bare.send(GetObject, { Bucket: "b", Key: "k" });
  void out.ContentLength;
  // @ts-expect-error bare client checks the input too
  await bare.send(GetObject, { Bucket: "b" });
  // @ts-expect-error a bare client takes only its own service's operations
  await bare.send(GetItem, { TableName: "t", Key: {} });
  // @ts-expect-error and the other way round
  await new DynamoDBClient({ region: "us-east-1" }).send(GetObject, { Bucket: "b", Key: "k" });
  void (await new DynamoDBClient({ region: "us-east-1" }).send(GetItem, { TableName: "t", Key: {} })).Item;
  try {
    await s3.headObject({ Bucket: "b", Key: "k" });
  } catch (e) {
    if (e instanceof NoSuchKey) {
      const code: string = e.code;
      void code;
    }
    if (e instanceof ServiceError) void e.$metadata.requestId;
  }
  // listBuckets takes no required input.
  await s3.listBuckets();
}

export async function dynamoChecks(): Promise<void> {
  const item: Record<string, AttributeValue> = { pk: { S: "a" }, n: { N: "1" }, b: { B: "bytes" } };
  await ddb.putItem({ TableName: "t", Item: item });
  // @ts-expect-error a number where a string belongs (N is a string on the wire)
  await ddb.putItem({ TableName: "t", Item: { n: { N: 1 } } });
  // @ts-expect-error missing TableName
  await ddb.getItem({ Key: item });
  const got = await ddb.getItem({ TableName: "t", Key: item });
  const b: Uint8Array | undefined = got.Item?.b?.B; // blobs are bytes on output
  void b;
  // @ts-expect-error output blobs are not strings
  const s: string | undefined = got.Item?.b?.B;
  void s;
  try {
    await ddb.deleteTable({ TableName: "t" });
  } catch (e) {
    if (e instanceof ResourceNotFoundException) void e.message;
    if (e instanceof ConditionalCheckFailedException) void e.Item;
  }
  // @ts-expect-error wrong enum value
  await ddb.createTable({ TableName: "t", BillingMode: "ON_DEMAND" });
  await ddb.listTables();
}

export async function ec2Checks(): Promise<void> {
  const run: RunInstancesInput = { MinCount: 1, MaxCount: 1, ImageId: "ami-1", InstanceType: "t3.micro" };
  await ec2.runInstances(run);
  // @ts-expect-error wrong enum value for InstanceType
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, InstanceType: "t3.micr" });
  // @ts-expect-error a string where a number belongs
  await ec2.runInstances({ MinCount: "1", MaxCount: 1 });
  const d = await ec2.describeInstances({ MaxResults: 5 });
  const state: string | undefined = d.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  void state;
  // Idempotency tokens are optional (filled by the runtime).
  await ec2.createFleet({ TargetCapacitySpecification: { TotalTargetCapacity: 1 }, LaunchTemplateConfigs: [] });
}

export async function lambdaChecks(): Promise<void> {
  const inv: InvokeInput = { FunctionName: "f", Payload: new TextEncoder().encode("{}") };
  const out = await lambda.invoke(inv);
  const p: Uint8Array | undefined = out.Payload;
  void p;
  // @ts-expect-error wrong enum value for InvocationType
  await lambda.invoke({ FunctionName: "f", InvocationType: "Async" });
  // @ts-expect-error misspelled method
  await lambda.invokeFunction({ FunctionName: "f" });
}

export async function cborChecks(): Promise<void> {
  // partnercentral-revenue-measurement speaks smithy-rpc-v2-cbor only.
  // @ts-expect-error missing required members
  await prm.getRevenueAttribution({});
  // @ts-expect-error wrong enum value
  await prm.listRevenueAttributions({ Catalog: "Prod" });
}
