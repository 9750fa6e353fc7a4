// Starts Swagger UI on /api/docs (a served file: the Content-Security-Policy allows no
// inline script). The spec URL comes from the page; no validator badge (it would call
// out to an outside service).
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") return;
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-openapi") || "/openapi.json",
    domNode: el,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
