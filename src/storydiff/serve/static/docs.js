// The API explorer: Swagger UI (the copy the fastapi-offline package carries, no CDN) on our OpenAPI document.
window.addEventListener("load", function () {
  "use strict";
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
