// Boots GraphiQL with the configuration the page carries in a JSON data block (no inline
// script, so the page's Content-Security-Policy can forbid them). Plain browser JavaScript:
// React, ReactDOM, GraphiQL and graphqlWs are the UMD globals loaded before this file.
/* global React, ReactDOM, GraphiQL, graphqlWs */
(function startPlayground() {
  "use strict";
  var config = JSON.parse(document.getElementById("playground-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href);
  var socketUrl = new URL(endpoint.href);
  socketUrl.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
  var overHttp = GraphiQL.createFetcher({ url: endpoint.href });

  function isSubscription(params, documentAST) {
    var operations = ((documentAST && documentAST.definitions) || []).filter(function (d) {
      return d.kind === "OperationDefinition";
    });
    var chosen = operations.find(function (d) {
      return d.name && d.name.value === params.operationName;
    });
    var operation = chosen || (operations.length === 1 ? operations[0] : undefined);
    return Boolean(operation && operation.operation === "subscription");
  }

  function authorizationOf(headers) {
    var name = Object.keys(headers || {}).find(function (key) {
      return key.toLowerCase() === "authorization";
    });
    return name ? headers[name] : undefined;
  }

  // A subscription gets its own graphql-ws connection carrying the tab's Authorization header
  // (the gateway reads it from connection_init), closed when GraphiQL stops listening.
  async function* overWebSocket(params, headers) {
    var authorization = authorizationOf(headers);
    var client = graphqlWs.createClient({
      url: socketUrl.href,
      connectionParams: authorization ? { authorization: authorization } : {},
      lazy: true,
      retryAttempts: 0,
    });
    try {
      for await (var result of client.iterate(params)) yield result;
    } finally {
      client.dispose();
    }
  }

  function fetcher(params, opts) {
    if (isSubscription(params, opts && opts.documentAST)) return overWebSocket(params, opts && opts.headers);
    return overHttp(params, opts);
  }

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      defaultHeaders: config.defaultHeaders,
      defaultEditorToolsVisibility: true,
      // Demo tokens are minted per page load; persisting them would keep stale ones around.
      shouldPersistHeaders: false,
    }),
  );
})();
