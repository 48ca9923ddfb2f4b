// The widget manager typesets widget labels with the MathJax 2 call
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book serves MathJax 3.
// This bridge forwards that call to MathJax 3's typesetPromise.
(function () {
  function bridge() {
    if (!window.MathJax || window.MathJax.Hub) return;
    window.MathJax.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        if (window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise(element ? [element] : undefined).catch(function () {});
        }
      },
    };
  }
  bridge();
  document.addEventListener("DOMContentLoaded", bridge);
  window.addEventListener("load", bridge);
})();
