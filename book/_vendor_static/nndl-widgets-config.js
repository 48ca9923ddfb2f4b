// The widget manager (embed-amd.js) finds its icon fonts next to the module it defines,
// "@jupyter-widgets/html-manager/dist/libembed-amd". Point that module path at the folder that
// holds embed-amd.js and the fonts, so they load from this site instead of a 404.
(function () {
  var here = document.currentScript && document.currentScript.src;
  if (!here || typeof require === "undefined" || !require.config) return;
  var vendor = here.replace(/[^/]*$/, "") + "vendor";
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": vendor } });
})();
