import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type Plugin } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { TributaryError } from '../core/errors.js';
import type { Services } from '../core/services.js';
import { ApiTokens, type Caller, UNAUTHENTICATED_BODY } from './api-token.js';
import { serveConsole } from './console-route.js';
import type { GraphQLContext } from './context.js';
import { toApiError } from './error-codes.js';
import { GRAPHIQL_DEFAULT_QUERY } from './graphiql-default-query.js';
import { schema } from './index.js';
import { createMetrics } from './metrics.js';
import { guardMutations } from './mutation-guard.js';
import { QUERY_LIMITS, useQueryLimits } from './query-limits.js';

export interface ApiServer extends AsyncDisposable {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  /** Tokens clients must present (any one of them), each `role:token` or a bare admin token; empty = no authentication. */
  readonly apiTokens?: readonly string[];
}

/** Gives request errors (parse, validation, variables) the API's codes, on HTTP and WebSocket alike. */
function useApiErrorCodes(services: Services): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: result.errors.map((error) => toApiError(error, services.logger)) });
    },
  };
}

/**
 * A request no parser takes (a content type other than JSON, GraphQL, form or multipart) gets 415
 * with an INVALID_INPUT GraphQL error saying what to send, rather than yoga's empty 415 body.
 * Runs after yoga's own parsers, which are registered before any plugin given here.
 */
function useUnsupportedMediaTypeError(): Plugin {
  return {
    onRequestParse({ requestParser, endResponse, fetchAPI }) {
      if (requestParser) return;
      const message = 'unsupported content type; send the operation as application/json';
      const body = JSON.stringify({ errors: [{ message, extensions: { code: 'INVALID_INPUT' } }] });
      endResponse(
        new fetchAPI.Response(body, { status: 415, headers: { 'content-type': 'application/json' } }),
      );
    },
  };
}

/**
 * One HTTP server: `POST /graphql` (queries, mutations), the same path over WebSocket with the
 * graphql-ws protocol (subscriptions), GraphiQL on `GET /graphql`, `GET /healthz`, `GET /metrics`,
 * and the web console's static files on every other GET (see serveConsole).
 *
 * With API tokens, everything but `/healthz`, the console's files, CORS preflights and the GraphiQL page itself (static
 * HTML; the operations it sends need the token like any other) requires one: HTTP requests without
 * it get 401 with an UNAUTHENTICATED GraphQL error, WebSocket connections are closed with 4403.
 * Every operation is held to QUERY_LIMITS.
 */
export async function startApiServer(
  services: Services,
  host: string,
  port: number,
  options: ApiServerOptions = {},
): Promise<ApiServer> {
  const tokens = new ApiTokens(options.apiTokens ?? []);
  guardMutations(schema);
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse; caller?: Caller }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // a WebSocket operation carries its connection's caller; an HTTP request is identified by its header
    context: ({ req, caller }) => {
      const known = caller ?? tokens.identifyHeaders(req.headers);
      if (!known) throw new TributaryError('UNAUTHENTICATED', 'a valid API token is required');
      return { services, caller: known };
    },
    maskedErrors: { maskError: (error) => toApiError(error, services.logger) },
    graphiql: { title: 'Tributary', subscriptionsProtocol: 'WS', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    renderGraphiQL,
    landingPage: false,
    logging: false,
    maxRequestBodySize: QUERY_LIMITS.bodyBytes,
    plugins: [...useQueryLimits(), useApiErrorCodes(services), useUnsupportedMediaTypeError()],
  });
  const metrics = createMetrics(services);

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const healthy = await services.database.query('SELECT 1').then(
        () => true,
        () => false,
      );
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'database unreachable' }));
      return;
    }
    if (path && (await serveConsole(req, res, path))) return;
    if (!isOpen(req, path) && !tokens.identifyHeaders(req.headers)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(UNAUTHENTICATED_BODY);
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      const body = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(body);
      return;
    }
    await yoga(req, res);
  };

  const server = createServer((req, res) => {
    // a failure here (the metrics' queries) answers 500 rather than escaping as a rejection
    serve(req, res).catch((error: unknown) => {
      services.logger.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });

  // listen first: a WebSocket server attached to a server that fails to bind reports the error itself
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const wsServer = useServer(
    {
      onConnect: (ctx) => {
        const caller = tokens.identifyConnection(ctx.connectionParams, ctx.extra.request.headers);
        if (caller) (ctx.extra as { caller?: Caller }).caller = caller;
        return caller !== null;
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          caller: (ctx.extra as { caller?: Caller }).caller,
        });
        let document: ReturnType<typeof enveloped.parse>;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [toApiError(error, services.logger)];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors.map((error: GraphQLError) => toApiError(error, services.logger));
        return {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if ('errors' in result && result.errors?.length) {
          return { ...result, errors: result.errors.map((error) => toApiError(error, services.logger)) };
        }
      },
    },
    sockets,
  );

  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const close = async () => {
    await wsServer.dispose();
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://${shownHost}:${address.port}/graphql`, server, close, [Symbol.asyncDispose]: close };
}

/**
 * Requests served without a token: CORS preflights (browsers send them without credentials) and
 * the GraphiQL page, which yoga renders for any GET accepting HTML and never executes anything for.
 * `/healthz` is answered before this check.
 */
function isOpen(req: IncomingMessage, path: string | undefined): boolean {
  if (req.method === 'OPTIONS') return true;
  return req.method === 'GET' && path === '/graphql' && (req.headers.accept ?? '').includes('text/html');
}

/** The envelop-wrapped execute/subscribe, carried to graphql-ws through `rootValue`. */
interface Enveloped {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult = ReturnType<NonNullable<Parameters<typeof useServer>[0]['execute']>>;
