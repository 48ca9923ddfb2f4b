/* nndl-book drawing pad (chapter 10): draw a digit, see what the trained network says.
 *
 * Everything runs in the page: no kernel, no network. The chapter writes the trained weights
 * as JSON into <script type="application/json" class="nndl-pad-weights">, next to a
 * <div class="nndl-drawing-pad">. This script
 *   1. turns the drawing into an 8x8 image the way scikit-learn's digits were made: the ink is
 *      cropped to its bounding box, scaled into a 32x32 black-and-white bitmap, and each of the
 *      64 pixels counts the black pixels of a 4x4 block (0 to 16);
 *   2. runs the network's forward pass in double precision: standardise with the training
 *      mean and scale, z1 = W1 x + b1, h = relu(z1), z2 = W2 h + b2, p = softmax(z2);
 *   3. shows the ten probabilities and the hidden activations.
 * window.nndlDigits.forward(pixels) exposes step 2 for the browser test.
 */
(function () {
  "use strict";

  var BITMAP = 32; // side of the black-and-white bitmap
  var SIDE = 8; // side of the image the network sees
  var BLOCK = BITMAP / SIDE;

  function forward(net, pixels) {
    if (!pixels || pixels.length !== net.mean.length) {
      throw new Error("forward expects " + net.mean.length + " pixel values");
    }
    var x = new Float64Array(pixels.length);
    for (var i = 0; i < pixels.length; i++) {
      x[i] = (pixels[i] - net.mean[i]) / net.scale[i];
    }
    var a = x;
    var hidden = [];
    for (var l = 0; l < net.layers.length; l++) {
      var W = net.layers[l].W;
      var b = net.layers[l].b;
      var z = new Float64Array(W.length);
      for (var r = 0; r < W.length; r++) {
        var s = b[r];
        var row = W[r];
        for (var c = 0; c < row.length; c++) s += row[c] * a[c];
        z[r] = l < net.layers.length - 1 ? Math.max(0, s) : s;
      }
      if (l < net.layers.length - 1) hidden.push(Array.from(z));
      a = z;
    }
    var m = -Infinity;
    for (var k = 0; k < a.length; k++) m = Math.max(m, a[k]);
    var total = 0;
    var p = new Array(a.length);
    for (k = 0; k < a.length; k++) {
      p[k] = Math.exp(a[k] - m);
      total += p[k];
    }
    for (k = 0; k < a.length; k++) p[k] /= total;
    return { hidden: hidden, probs: p };
  }

  /* Ink of the drawing canvas -> 64 counts in 0..16, or null when nothing is drawn. */
  function downsample(canvas) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width;
    var h = canvas.height;
    var data = ctx.getImageData(0, 0, w, h).data;
    var x0 = w;
    var y0 = h;
    var x1 = -1;
    var y1 = -1;
    for (var y = 0; y < h; y++) {
      for (var x = 0; x < w; x++) {
        if (data[4 * (y * w + x) + 3] > 0) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    var bw = x1 - x0 + 1;
    var bh = y1 - y0 + 1;
    // The digits fill the bitmap's height; keep the aspect ratio and centre horizontally.
    var scale = BITMAP / Math.max(bw, bh);
    var tw = Math.max(1, Math.round(bw * scale));
    var th = Math.max(1, Math.round(bh * scale));
    var small = document.createElement("canvas");
    small.width = BITMAP;
    small.height = BITMAP;
    var sctx = small.getContext("2d");
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = "high";
    sctx.drawImage(canvas, x0, y0, bw, bh, (BITMAP - tw) / 2, (BITMAP - th) / 2, tw, th);
    var bits = sctx.getImageData(0, 0, BITMAP, BITMAP).data;
    var counts = new Array(SIDE * SIDE).fill(0);
    for (y = 0; y < BITMAP; y++) {
      for (x = 0; x < BITMAP; x++) {
        if (bits[4 * (y * BITMAP + x) + 3] >= 96) {
          counts[Math.floor(y / BLOCK) * SIDE + Math.floor(x / BLOCK)] += 1;
        }
      }
    }
    return counts;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setup(root, net) {
    root.textContent = "";
    var row = el("div", "nndl-pad-row");
    var drawBox = el("div", "nndl-pad-box");
    drawBox.appendChild(el("div", "nndl-pad-label", "draw a digit here"));
    var canvas = el("canvas", "nndl-pad-canvas");
    canvas.width = 224;
    canvas.height = 224;
    canvas.setAttribute("aria-label", "drawing area: draw a digit with the mouse or a finger");
    drawBox.appendChild(canvas);
    var clear = el("button", "nndl-pad-clear", "clear");
    clear.type = "button";
    drawBox.appendChild(clear);
    row.appendChild(drawBox);

    var seenBox = el("div", "nndl-pad-box");
    seenBox.appendChild(el("div", "nndl-pad-label", "what the network sees (8×8, 0–16)"));
    var seen = el("canvas", "nndl-pad-seen");
    seen.width = SIDE;
    seen.height = SIDE;
    seenBox.appendChild(seen);
    row.appendChild(seenBox);

    var probBox = el("div", "nndl-pad-box nndl-pad-probs");
    probBox.appendChild(el("div", "nndl-pad-label", "probabilities"));
    var bars = [];
    for (var k = 0; k < net.layers[net.layers.length - 1].b.length; k++) {
      var line = el("div", "nndl-pad-prob");
      line.appendChild(el("span", "nndl-pad-digit", String(k)));
      var track = el("span", "nndl-pad-track");
      var fill = el("span", "nndl-pad-fill");
      track.appendChild(fill);
      line.appendChild(track);
      var value = el("span", "nndl-pad-value", "–");
      line.appendChild(value);
      probBox.appendChild(line);
      bars.push({ line: line, fill: fill, value: value });
    }
    row.appendChild(probBox);
    root.appendChild(row);

    var hiddenBox = el("div", "nndl-pad-box nndl-pad-hidden");
    var nHidden = net.layers[0].b.length;
    hiddenBox.appendChild(el("div", "nndl-pad-label",
      "hidden activations (" + nHidden + " ReLU units, darker = larger)"));
    var cells = [];
    var grid = el("div", "nndl-pad-grid");
    for (var j = 0; j < nHidden; j++) {
      var cell = el("span", "nndl-pad-cell");
      grid.appendChild(cell);
      cells.push(cell);
    }
    hiddenBox.appendChild(grid);
    root.appendChild(hiddenBox);

    var ctx = canvas.getContext("2d");
    var sctx = seen.getContext("2d");

    function show(pixels) {
      var img = sctx.createImageData(SIDE, SIDE);
      for (var i = 0; i < SIDE * SIDE; i++) {
        var v = pixels ? 255 - Math.round((255 * pixels[i]) / 16) : 255;
        img.data[4 * i] = v;
        img.data[4 * i + 1] = v;
        img.data[4 * i + 2] = v;
        img.data[4 * i + 3] = 255;
      }
      sctx.putImageData(img, 0, 0);
      if (!pixels) {
        state.last = null;
        root.removeAttribute("data-prediction");
        bars.forEach(function (bar) {
          bar.fill.style.width = "0";
          bar.value.textContent = "–";
          bar.line.classList.remove("nndl-pad-top");
        });
        cells.forEach(function (c) { c.style.opacity = "0"; c.title = ""; });
        return;
      }
      var out = forward(net, pixels);
      var best = 0;
      out.probs.forEach(function (p, k) {
        if (p > out.probs[best]) best = k;
        bars[k].fill.style.width = (100 * p).toFixed(1) + "%";
        bars[k].value.textContent = p.toFixed(3);
      });
      bars.forEach(function (bar, k) { bar.line.classList.toggle("nndl-pad-top", k === best); });
      var h = out.hidden[0];
      var top = Math.max.apply(null, h.concat([1e-12]));
      cells.forEach(function (c, i) {
        c.style.opacity = (h[i] / top).toFixed(3);
        c.title = "unit " + i + ": " + h[i].toFixed(3);
      });
      state.last = { pixels: pixels.slice(), probs: out.probs, hidden: h };
      root.setAttribute("data-prediction", String(best));
    }

    var drawing = false;
    var lastPoint = null;
    function point(ev) {
      var r = canvas.getBoundingClientRect();
      return [(ev.clientX - r.left) * (canvas.width / r.width),
        (ev.clientY - r.top) * (canvas.height / r.height)];
    }
    function stroke(p) {
      ctx.strokeStyle = "#000";
      ctx.fillStyle = "#000";
      ctx.lineWidth = 22;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.beginPath();
      if (lastPoint) {
        ctx.moveTo(lastPoint[0], lastPoint[1]);
        ctx.lineTo(p[0], p[1]);
        ctx.stroke();
      } else {
        ctx.arc(p[0], p[1], ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
      }
      lastPoint = p;
    }
    canvas.addEventListener("pointerdown", function (ev) {
      ev.preventDefault();
      drawing = true;
      lastPoint = null;
      if (canvas.setPointerCapture) {
        try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ }
      }
      stroke(point(ev));
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drawing) return;
      ev.preventDefault();
      stroke(point(ev));
    });
    function end() {
      if (!drawing) return;
      drawing = false;
      lastPoint = null;
      show(downsample(canvas));
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      show(null);
    });
    show(null);
    root.setAttribute("data-ready", "true");
  }

  var state = { net: null, last: null };
  window.nndlDigits = {
    forward: function (pixels) {
      if (!state.net) throw new Error("the drawing pad has no network yet");
      return forward(state.net, pixels);
    },
    get last() { return state.last; },
    get net() { return state.net; },
  };

  function init() {
    var roots = document.querySelectorAll(".nndl-drawing-pad");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-ready")) continue;
      var source = document.getElementById(root.getAttribute("data-weights"));
      if (!source) continue;
      state.net = JSON.parse(source.textContent);
      setup(root, state.net);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
