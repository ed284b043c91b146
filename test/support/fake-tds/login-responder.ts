import { ByteWriter } from './byte-writer.js';
import type { Login7 } from './login7.js';
import {
  DoneStatus,
  done,
  EnvChange,
  envChangeBytes,
  envChangeText,
  LATIN1_GENERAL_CI_AS,
  loginAck,
  serverMessage,
  Token,
} from './tokens.js';

/** Who may log in: user → password, and the databases that exist. Absent: anyone, any database. */
export interface LoginPolicy {
  readonly users?: Readonly<Record<string, string>>;
  readonly databases?: readonly string[];
}

/** The answer to a LOGIN7: the reply tokens, and whether the login succeeded. */
export interface LoginAnswer {
  readonly accepted: boolean;
  readonly reply: Buffer;
  /** The database the session is in. */
  readonly database: string;
}

const TDS_7_4 = 0x74000004;

/**
 * Answers LOGIN7 as SQL Server does: a wrong user or password is error 18456 (severity 14, state 8)
 * "Login failed for user 'x'."; an unknown database is error 4060 (severity 11) followed by 18456
 * (state 1). A success is ENVCHANGE(database), INFO 5701, ENVCHANGE(collation), LOGINACK,
 * ENVCHANGE(packet size), DONE.
 */
export function answerLogin(login: Login7, policy: LoginPolicy, packetSize: number): LoginAnswer {
  const w = new ByteWriter();
  const database = login.database || 'master';
  const loginFailed = (state: number) =>
    serverMessage(
      { number: 18456, state, severity: 14, message: `Login failed for user '${login.userName}'.` },
      w,
    );
  const known = policy.users?.[login.userName];
  if (policy.users && (known === undefined || known !== login.password)) {
    loginFailed(8);
    return { accepted: false, reply: done(Token.done, DoneStatus.error, 0, w).toBuffer(), database };
  }
  if (policy.databases && !policy.databases.includes(database)) {
    const message = `Cannot open database "${database}" requested by the login. The login failed.`;
    serverMessage({ number: 4060, state: 1, severity: 11, message }, w);
    loginFailed(1);
    return { accepted: false, reply: done(Token.done, DoneStatus.error, 0, w).toBuffer(), database };
  }
  envChangeText(EnvChange.database, database, 'master', w);
  serverMessage(
    { number: 5701, state: 2, severity: 0, message: `Changed database context to '${database}'.` },
    w,
  );
  envChangeBytes(EnvChange.collation, LATIN1_GENERAL_CI_AS, Buffer.alloc(0), w);
  loginAck(Math.min(login.tdsVersion, TDS_7_4), w);
  envChangeText(EnvChange.packetSize, String(packetSize), String(packetSize), w);
  return { accepted: true, reply: done(Token.done, DoneStatus.final, 0, w).toBuffer(), database };
}
