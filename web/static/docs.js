// The API reference at /docs: Swagger UI over the app's own OpenAPI document (a file, not an
// inline script: the CSP allows none)
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: root.getAttribute("data-openapi"), dom_id: "#swagger-ui", deepLinking: true});
})();
