/**
 * An environment with nothing in it for the SDK: shared files that do not exist and the
 * instance metadata service off, so a test never reads the machine's ~/.aws or leaves
 * loopback looking for credentials.
 */
export const EMPTY_ENV: Readonly<NodeJS.ProcessEnv> = Object.freeze({
  HOME: '/nonexistent-inia-home',
  AWS_CONFIG_FILE: '/nonexistent-inia-home/.aws/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-inia-home/.aws/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
});
