// Methods customizations add to one service's client (botocore's creating-client-class handlers):
// RDS's generateDbAuthToken and DSQL's two token methods are on those typed clients only.
import { client } from 'inia';

const rds = client('rds', { region: 'us-west-2' });
const dsql = client('dsql', { region: 'us-east-1' });
const neptune = client('neptune', { region: 'us-east-1' });

export async function tokens(): Promise<void> {
  const password: string = await rds.generateDbAuthToken({ DBHostname: 'db.example.com', Port: 5432, DBUsername: 'app' });
  const elsewhere: string = await rds.generateDbAuthToken({ DBHostname: 'db.example.com', Port: 3306, DBUsername: 'app', Region: 'eu-west-1' });
  const user: string = await dsql.generateDbConnectAuthToken({ Hostname: 'c.dsql.us-east-1.on.aws' });
  const admin: string = await dsql.generateDbConnectAdminAuthToken({ Hostname: 'c.dsql.us-east-1.on.aws', Region: 'us-east-1', ExpiresIn: 3600 });
  console.log(password, elsewhere, user, admin);

  // @ts-expect-error TS2322 the port is a number
  await rds.generateDbAuthToken({ DBHostname: 'db.example.com', Port: '5432', DBUsername: 'app' });
  // @ts-expect-error TS2741 DBUsername is required
  await rds.generateDbAuthToken({ DBHostname: 'db.example.com', Port: 5432 });
  // @ts-expect-error TS2561 DSQL tokens take Hostname, not DBHostname
  await dsql.generateDbConnectAuthToken({ DBHostname: 'c.dsql.us-east-1.on.aws' });
  // @ts-expect-error TS2339 only RDS clients have generateDbAuthToken (Neptune's do not, as in botocore)
  await neptune.generateDbAuthToken({ DBHostname: 'h', Port: 8182, DBUsername: 'u' });
  // @ts-expect-error TS2339 only DSQL clients have the DSQL token methods
  await rds.generateDbConnectAdminAuthToken({ Hostname: 'h' });
}
