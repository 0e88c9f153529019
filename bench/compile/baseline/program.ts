// Compile-cost baseline: the same settings with no SDK, so the SDKs' own share can be told apart.
export async function main(): Promise<string> {
  return "baseline";
}
