/**
 * The operation GraphiQL opens on (`GET /graphql`): every connector with its state, lag and
 * counters, and the source types this server can replicate from. Its leading comment tells how
 * to send the API token, since GraphiQL's own requests need it like any other.
 */
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Tributary's GraphQL API.
#
# When the server runs with API tokens (TRIBUTARY_API_TOKEN), open the
# "Headers" tab below and add the token, or every operation answers UNAUTHENTICATED:
#
#   { "Authorization": "Bearer <your token>" }
#
# Press the run button (or Ctrl-Enter) to list the connectors with their state and counters.
# The Docs panel (book icon) describes every type, field and argument; subscriptions such as
# connectorState, connectorStats and changes stream live over WebSocket.

query Connectors {
  connectors {
    name
    type
    active
    state { stage state error warning offset updatedAt }
    stats { snapshotRows snapshotTables creates updates deletes lagMs lastAppliedTs }
  }
  sourceTypes { id }
}
`;
