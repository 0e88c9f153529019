// Compile-time checks of the generated paginators and waiters: pages, items and waiter
// results are typed from the operation's Output; inputs and options are checked; every
// `@ts-expect-error` line must be an error (tsc reports an unused one). Checked by types.test.ts.
import { S3, S3Client, paginateListObjectsV2, waitForBucketExists, type ListObjectsV2Output, type ObjectShape } from "tsaws/s3";
import { DynamoDB, DynamoDBClient, paginateQuery, waitForTableExists, type AttributeValue, type DescribeTableOutput } from "tsaws/dynamodb";
import { CloudFront } from "tsaws/cloudfront";
import { APIGateway } from "tsaws/apigateway";
// From the package root, as an application imports them.
import {
  PaginationError,
  TsawsError,
  WaiterError,
  WaiterFailureError,
  WaiterTimeoutError,
  type DefaultsMode,
  type FullResult,
  type PageSizeOptions,
  type PaginateOptions,
  type Paginator,
  type WaiterOptions,
  type WaiterResult,
} from "tsaws";

declare const s3: S3;
declare const s3Bare: S3Client;
declare const ddb: DynamoDB;
declare const ddbBare: DynamoDBClient;
declare const cloudfront: CloudFront;
declare const apigw: APIGateway;

export async function paginatorChecks(): Promise<void> {
  for await (const page of s3.paginate.listObjectsV2({ Bucket: "b" }, { pageSize: 100, maxItems: 1000 })) {
    const p: ListObjectsV2Output = page;
    const status: number | undefined = page.$metadata.httpStatusCode;
    const token: string | undefined = page.NextContinuationToken;
    void p;
    void status;
    void token;
    // @ts-expect-error pages are the operation's output: no such member
    void page.NextMarker;
  }
  for await (const object of s3.paginate.listObjectsV2({ Bucket: "b" }).items()) {
    const o: ObjectShape = object;
    const key: string | undefined = object.Key;
    void o;
    void key;
    // @ts-expect-error items are objects, not strings
    const s: string = object;
    void s;
  }
  const paginator: Paginator<ListObjectsV2Output, ObjectShape> = paginateListObjectsV2(s3Bare, { Bucket: "b" }, { startingToken: "t" });
  const resume: string | undefined = paginator.resumeToken;
  void resume;
  const full = await paginator.fullResult();
  const contents: ObjectShape[] | undefined = full.Contents;
  void contents;
  for await (const x of paginator.search("Contents[].Key")) void (x satisfies unknown);
  // The full client is a bare client too.
  paginateListObjectsV2(s3, { Bucket: "b" });

  // DynamoDB: items are attribute maps.
  for await (const item of ddb.paginate.query({ TableName: "t", KeyConditionExpression: "pk = :p" }, { pageSize: 25 }).items()) {
    const v: AttributeValue | undefined = item.pk;
    void v;
  }
  for await (const page of paginateQuery(ddbBare, { TableName: "t" })) void page.Count;
  // Nested result keys: CloudFront's DistributionList.Items.
  for await (const d of cloudfront.paginate.listDistributions().items()) {
    const id: string = d.Id;
    void id;
  }
  // A map result key yields [key, value] entries.
  for await (const [key, usage] of apigw.paginate.getUsage({ usagePlanId: "p", startDate: "a", endDate: "b" }).items()) {
    const k: string = key;
    void k;
    void usage;
  }

  // @ts-expect-error a wrong paginator name
  s3.paginate.listObjectsV3({ Bucket: "b" });
  // @ts-expect-error a wrong paginator input member
  s3.paginate.listObjectsV2({ Bucket: "b", Buckett: "c" });
  // @ts-expect-error a missing required paginator input member
  s3.paginate.listObjectsV2({ Prefix: "p" });
  // @ts-expect-error a wrong input type for the standalone paginator
  paginateListObjectsV2(s3Bare, { Bucket: 5 });
  // @ts-expect-error no pageSize for a paginator without a limit key (ListTagsOfResource has none)
  ddb.paginate.listTagsOfResource({ ResourceArn: "arn" }, { pageSize: 5 });
  // @ts-expect-error a misspelled option
  s3.paginate.listObjectsV2({ Bucket: "b" }, { pagesize: 5 });
  // @ts-expect-error the bare client has no paginate property (use the standalone paginateX)
  void s3Bare.paginate;
}

export async function waiterChecks(): Promise<void> {
  const result = await ddb.waitFor.tableExists({ TableName: "t" }, { maxWaitSeconds: 60, minDelay: 1, maxDelay: 10 });
  const state: "success" = result.state;
  const reason: string = result.reason;
  const table: DescribeTableOutput | undefined = result.lastResponse;
  const status: string | undefined = result.lastResponse?.Table?.TableStatus;
  void state;
  void reason;
  void table;
  void status;
  await ddb.waitFor.tableNotExists({ TableName: "t" }, { delay: 1, maxAttempts: 3, signal: AbortSignal.timeout(1000) });
  await waitForTableExists(ddbBare, { TableName: "t" });
  await s3.waitFor.bucketExists({ Bucket: "b" });
  await waitForBucketExists(s3Bare, { Bucket: "b" });
  try {
    await s3.waitFor.objectExists({ Bucket: "b", Key: "k" });
  } catch (e) {
    if (e instanceof WaiterError) {
      const r: string = e.reason;
      const state: "failure" | "timeout" = e.state;
      const attempts: number = e.attempts;
      const base: TsawsError = e;
      void [r, state, attempts, base];
    }
    if (e instanceof WaiterFailureError || e instanceof WaiterTimeoutError) {
      const w: WaiterError = e;
      void w.lastError?.code;
    }
    if (e instanceof PaginationError) {
      const base: TsawsError = e;
      void base;
    }
  }
  const options: WaiterOptions = { delay: 5, maxAttempts: 3 };
  const done: WaiterResult<DescribeTableOutput> = await waitForTableExists(ddbBare, { TableName: "t" }, options);
  void done;
  const paged: PageSizeOptions = { pageSize: 10, maxItems: 100 };
  const plain: PaginateOptions = { startingToken: "t" };
  void [paged, plain];
  const full: FullResult<ListObjectsV2Output> = await paginateListObjectsV2(s3Bare, { Bucket: "b" }).fullResult();
  void full.Contents;
  const modes: DefaultsMode[] = ["standard", "in-region", "cross-region", "mobile", "auto", "legacy"];
  void modes;
  // @ts-expect-error not a defaults mode
  const badMode: DefaultsMode = "fast";
  void badMode;
  // @ts-expect-error WaiterOptions has no pageSize
  const badOptions: WaiterOptions = { pageSize: 1 };
  void badOptions;

  // @ts-expect-error a wrong waiter name
  await ddb.waitFor.tableExist({ TableName: "t" });
  // @ts-expect-error a wrong waiter input member
  await ddb.waitFor.tableExists({ TableNam: "t" });
  // @ts-expect-error a missing required waiter input
  await ddb.waitFor.tableExists({});
  // @ts-expect-error a misspelled waiter option
  await ddb.waitFor.tableExists({ TableName: "t" }, { maxWait: 60 });
  // @ts-expect-error seconds are numbers
  await ddb.waitFor.tableExists({ TableName: "t" }, { maxWaitSeconds: "60" });
  // @ts-expect-error the result's lastResponse is the operation's output
  void result.lastResponse?.Bucket;
  // @ts-expect-error the bare client has no waitFor property (use the standalone waitForX)
  void ddbBare.waitFor;
}
