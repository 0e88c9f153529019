// Compile-time checks of the generated types: every `@ts-expect-error` line must be an error
// (tsc reports an unused one), and everything else must compile. Checked by types.test.ts.
import { S3, S3Client, GetObject, NoSuchKey, type PutObjectInput, type GetObjectOutput, type ObjectEncryption } from "tsaws/s3";
import { DynamoDB, DynamoDBClient, GetItem, ResourceNotFoundException, ConditionalCheckFailedException, type AttributeValue } from "tsaws/dynamodb";
import { EC2, type RunInstancesInput } from "tsaws/ec2";
import { Lambda, type InvokeInput } from "tsaws/lambda";
import { PartnerCentralRevenueMeasurement } from "tsaws/partnercentral-revenue-measurement";
import { CloudWatch, type EvaluationWindow } from "tsaws/cloudwatch";
import { Polly } from "tsaws/polly";
import { Readable } from "node:stream";
import { ServiceError, presign, type PresignedRequest } from "tsaws";

declare const s3: S3;
declare const ddb: DynamoDB;
declare const ec2: EC2;
declare const lambda: Lambda;
declare const prm: PartnerCentralRevenueMeasurement;
declare const cw: CloudWatch;

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
  // @ts-expect-error a member the union does not have (S3's only input union has one member;
  // two real members of one union are checked on CloudWatch's EvaluationWindow below)
  const both: ObjectEncryption = { SSEKMS: { KMSKeyArn: "k" }, Foo: 1 };
  void both;
  // Streaming blob input: bytes, text, Blob, a web ReadableStream and a node Readable.
  await s3.putObject({ Bucket: "b", Key: "k", Body: Readable.from([new Uint8Array(1)]) });
  await s3.putObject({ Bucket: "b", Key: "k", Body: new ReadableStream<Uint8Array>() });
  // @ts-expect-error a number where a streaming blob belongs
  await s3.putObject({ Bucket: "b", Key: "k", Body: 5 });
  // @ts-expect-error an object that is not a stream where a streaming blob belongs
  await s3.putObject({ Bucket: "b", Key: "k", Body: { data: "x" } });
  // Per-call options: an AbortSignal.
  await s3.headObject({ Bucket: "b", Key: "k" }, { signal: AbortSignal.timeout(1000) });
  // @ts-expect-error misspelled call option
  await s3.headObject({ Bucket: "b", Key: "k" }, { signall: AbortSignal.timeout(1000) });
  // Credentials: an object or an async provider.
  new S3({ region: "us-east-1", credentials: async () => ({ accessKeyId: "a", secretAccessKey: "s" }) });
  // @ts-expect-error a provider must resolve to credentials
  new S3({ region: "us-east-1", credentials: async () => "AKID" });
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
  // @ts-expect-error an operation with required members needs its input
  await s3.getObject();
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
  // @ts-expect-error misspelled member
  await ddb.getItem({ TableNme: "t", Key: item });
  // @ts-expect-error a string where a number belongs
  await ddb.scan({ TableName: "t", Limit: "5" });
  // @ts-expect-error a string where a Date belongs
  await ddb.exportTableToPointInTime({ TableArn: "arn", S3Bucket: "b", ExportTime: "2024-01-01" });
  await ddb.exportTableToPointInTime({ TableArn: "arn", S3Bucket: "b", ExportTime: new Date() });
  // @ts-expect-error a number where a blob belongs
  await ddb.putItem({ TableName: "t", Item: { b: { B: 5 } } });
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
  // @ts-expect-error missing required MinCount
  await ec2.runInstances({ MaxCount: 1 });
  // @ts-expect-error misspelled member
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, ImageID: "ami-1" });
  // @ts-expect-error a string where a Date belongs
  await ec2.describeSpotPriceHistory({ StartTime: "2024-01-01" });
  await ec2.describeSpotPriceHistory({ StartTime: new Date() });
  // Input blobs take bytes or a string (base64-encoded on the wire); not a number.
  await ec2.importKeyPair({ KeyName: "k", PublicKeyMaterial: "ssh-rsa AAAA" });
  await ec2.importKeyPair({ KeyName: "k", PublicKeyMaterial: new Uint8Array(3) });
  // @ts-expect-error a number where a blob belongs
  await ec2.importKeyPair({ KeyName: "k", PublicKeyMaterial: 5 });
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
  // @ts-expect-error missing required FunctionName
  await lambda.invoke({ Payload: "{}" });
  // @ts-expect-error misspelled member
  await lambda.invoke({ FunctionName: "f", Qualifer: "1" });
  // @ts-expect-error a string where a number belongs
  await lambda.updateFunctionConfiguration({ FunctionName: "f", MemorySize: "128" });
  // @ts-expect-error a number where a blob belongs
  await lambda.updateFunctionCode({ FunctionName: "f", ZipFile: 5 });
  await lambda.updateFunctionCode({ FunctionName: "f", ZipFile: new Uint8Array(2) });
  // @ts-expect-error output blobs are bytes, not strings
  const ps: string | undefined = out.Payload;
  void ps;
}

export async function cborChecks(): Promise<void> {
  // partnercentral-revenue-measurement speaks smithy-rpc-v2-cbor only.
  // @ts-expect-error missing required members
  await prm.getRevenueAttribution({});
  // @ts-expect-error wrong enum value
  await prm.listRevenueAttributions({ Catalog: "Prod" });
  // @ts-expect-error misspelled member
  await prm.getMarketplaceRevenueShare({ Catalog: "AWS", ProductId: "p", ProductID: "p" });
  // @ts-expect-error a number where a string belongs
  await prm.getMarketplaceRevenueShare({ Catalog: "AWS", ProductId: 1 });
}

export async function cloudWatchChecks(): Promise<void> {
  // CloudWatch's preferred protocol is smithy-rpc-v2-cbor; it has a two-member input union.
  const start = new Date(0);
  const end = new Date();
  await cw.getMetricData({ MetricDataQueries: [], StartTime: start, EndTime: end, ScanBy: "TimestampAscending", MaxDatapoints: 10 });
  // @ts-expect-error missing required EndTime
  await cw.getMetricData({ MetricDataQueries: [], StartTime: start });
  // @ts-expect-error a string where a Date belongs
  await cw.getMetricData({ MetricDataQueries: [], StartTime: "2024-01-01", EndTime: end });
  // @ts-expect-error a string where a number belongs
  await cw.getMetricData({ MetricDataQueries: [], StartTime: start, EndTime: end, MaxDatapoints: "10" });
  // @ts-expect-error wrong enum value
  await cw.getMetricData({ MetricDataQueries: [], StartTime: start, EndTime: end, ScanBy: "Descending" });
  // @ts-expect-error misspelled member
  await cw.getMetricData({ MetricDataQueries: [], StartTime: start, EndTime: end, MaxDataPoints: 10 });
  const one: EvaluationWindow = { SlidingWindow: {} };
  await cw.putMetricAlarm({ AlarmName: "a", EvaluationWindow: one });
  await cw.putMetricAlarm({ AlarmName: "a", EvaluationWindow: { WallClockWindow: { Timezone: "UTC" } } });
  // @ts-expect-error two members of an exclusive union
  await cw.putMetricAlarm({ AlarmName: "a", EvaluationWindow: { SlidingWindow: {}, WallClockWindow: {} } });
  // @ts-expect-error an exclusive union needs one member
  await cw.putMetricAlarm({ AlarmName: "a", EvaluationWindow: {} });
  const d = await cw.getMetricData({ MetricDataQueries: [], StartTime: start, EndTime: end });
  const ts: Date | undefined = d.MetricDataResults?.[0]?.Timestamps?.[0];
  void ts;
  // Output enums are open: a value this model does not know is still a string, and known values narrow.
  const code = d.MetricDataResults?.[0]?.StatusCode;
  if (code === "Complete") void code;
  const anyCode: string | undefined = code;
  void anyCode;
}

export async function presigned(s3: S3, bare: S3Client, ddb: DynamoDBClient): Promise<PresignedRequest> {
  await presign(bare, GetObject, { Bucket: "b", Key: "k" }, { expiresIn: 60 });
  // @ts-expect-error another service's operation
  await presign(ddb, GetObject, { Bucket: "b", Key: "k" });
  await presign(ddb, GetItem, { TableName: "t", Key: {} });
  // @ts-expect-error a DynamoDB operation on an S3 client
  await presign(bare, GetItem, { TableName: "t", Key: {} });
  // @ts-expect-error missing required member Key
  await presign(s3, GetObject, { Bucket: "b" });
  // @ts-expect-error misspelled option
  await presign(s3, GetObject, { Bucket: "b", Key: "k" }, { expires: 60 });
  return presign(s3, GetObject, { Bucket: "b", Key: "k" });
}

declare const polly: Polly;

export async function inputEventStreamChecks(): Promise<void> {
  // An input event stream is not sent by the runtime: the member is typed never, so a call that sets it does not compile.
  await polly.startSpeechSynthesisStream({ Engine: "generative", OutputFormat: "mp3", VoiceId: "Joanna" });
  // @ts-expect-error an input event stream (never)
  await polly.startSpeechSynthesisStream({ Engine: "generative", OutputFormat: "mp3", VoiceId: "Joanna", ActionStream: (async function* () {})() });
  // Output event streams stay async iterables.
  const out = await polly.startSpeechSynthesisStream({ Engine: "generative", OutputFormat: "mp3", VoiceId: "Joanna" });
  if (out.EventStream) for await (const event of out.EventStream) void event;
}
