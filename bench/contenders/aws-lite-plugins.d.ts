// The aws-lite plugins ship no declarations; the benchmark only hands them to the client.
declare module '@aws-lite/dynamodb' {
  const plugin: unknown;
  export default plugin;
}
declare module '@aws-lite/s3' {
  const plugin: unknown;
  export default plugin;
}
