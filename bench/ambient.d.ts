// Untyped packages the bench imports (only for `npx tsc -p bench`; the bench treats them as opaque).
declare module "@aws-lite/dynamodb";
declare module "@aws-lite/s3";
declare module "@aws-lite/sqs";
declare module "s3rver";
declare module "dynalite";
declare module "kinesalite";
