import type { EncryptionName } from './prelogin.js';
import type { RpcParameter } from './request-decoder.js';

/** What the fake received, in arrival order, each tagged with its connection number (from 1). */
export type Received =
  | {
      readonly kind: 'prelogin';
      readonly connection: number;
      /** The client's ENCRYPTION byte: 0 off, 1 on, 2 not supported, 3 required. */
      readonly clientEncryption: number | undefined;
      readonly answered: EncryptionName;
    }
  | { readonly kind: 'tls'; readonly connection: number; readonly protocol: string | null }
  | {
      readonly kind: 'login7';
      readonly connection: number;
      readonly user: string;
      readonly database: string;
      readonly appName: string;
      readonly packetSize: number;
      /** Whether the LOGIN7 arrived inside TLS. */
      readonly encrypted: boolean;
      readonly accepted: boolean;
    }
  | { readonly kind: 'batch'; readonly connection: number; readonly sql: string }
  | {
      readonly kind: 'rpc';
      readonly connection: number;
      readonly procedure: string;
      readonly sql: string;
      readonly parameters: readonly RpcParameter[];
    }
  | {
      readonly kind: 'transaction';
      readonly connection: number;
      readonly request: 'begin' | 'commit' | 'rollback' | 'save' | 'other';
      readonly isolationLevel?: number;
    }
  | { readonly kind: 'attention'; readonly connection: number };
