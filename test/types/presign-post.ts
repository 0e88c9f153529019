// Compile-time checks of presignPost (runtime/presign-post.ts): S3 clients only, the policy
// condition forms, and the input's required members.
import { S3, S3Client } from "tsaws/s3";
import { DynamoDBClient } from "tsaws/dynamodb";
import { presignPost, type PresignedPost } from "tsaws";

export async function presignedPosts(s3: S3, bare: S3Client, ddb: DynamoDBClient): Promise<PresignedPost> {
  await presignPost(bare, { Bucket: "b", Key: "k" });
  // @ts-expect-error a DynamoDB client cannot make an S3 form
  await presignPost(ddb, { Bucket: "b", Key: "k" });
  // @ts-expect-error Key is required
  await presignPost(s3, { Bucket: "b" });
  // @ts-expect-error field values are strings
  await presignPost(s3, { Bucket: "b", Key: "k", Fields: { size: 1 } });
  // @ts-expect-error an unknown operator
  await presignPost(s3, { Bucket: "b", Key: "k", Conditions: [["ends-with", "$key", "x"]] });
  // @ts-expect-error a field name in a list condition starts with $
  await presignPost(s3, { Bucket: "b", Key: "k", Conditions: [["eq", "key", "x"]] });
  // @ts-expect-error content-length-range takes numbers
  await presignPost(s3, { Bucket: "b", Key: "k", Conditions: [["content-length-range", "0", "10"]] });
  const p = await presignPost(s3, {
    Bucket: "b",
    Key: "uploads/${filename}",
    Fields: { acl: "private" },
    Conditions: [{ acl: "private" }, ["starts-with", "$Content-Type", "image/"], ["content-length-range", 0, 1048576]],
    expiresIn: 600,
  });
  const url: string = p.url;
  const fields: Record<string, string> = p.fields;
  void url;
  void fields;
  return p;
}
