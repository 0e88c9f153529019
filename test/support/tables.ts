// Table definitions the DynamoDB tests share (Node and the browser page alike: nothing here
// imports a Node module).
import type { CreateTableInput } from "tsaws/dynamodb";

/** A pay-per-request table keyed by `pk` (string) and `sk` (number). */
export function pkSkTable(TableName: string): CreateTableInput {
  return {
    TableName,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  };
}
