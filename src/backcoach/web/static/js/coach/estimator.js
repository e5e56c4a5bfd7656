/* backcoach pose estimator adapter: the rest of the coach only calls
   BackcoachPose.create() -> {estimate(source, mediaTimeS), inference, reset(), close()}.
   Today it wraps the legacy npm @mediapipe/pose (served by our app from
   /static/vendor/mediapipe-pose/, fetched at set-up time); @mediapipe/tasks-vision
   could replace it here without touching the pages. */
(function () {
  "use strict";
  var BASE = "/static/vendor/mediapipe-pose/";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.Pose) { resolve(); return; }
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("The pose model could not be loaded from this server.")); };
      document.head.appendChild(s);
    });
  }

  function sizeOf(source) {
    return {
      width: source.videoWidth || source.naturalWidth || source.width || 1,
      height: source.videoHeight || source.naturalHeight || source.height || 1
    };
  }

  /* Rows of [x, y, z, visibility], rounded: what travels to the server. */
  function rows(landmarks) {
    if (!landmarks || landmarks.length !== 33) return null;
    return landmarks.map(function (p) {
      return [+p.x.toFixed(5), +p.y.toFixed(5), +(p.z || 0).toFixed(5), +(p.visibility == null ? 1 : p.visibility).toFixed(4)];
    });
  }

  /* True when WebGL is drawn by the CPU (SwiftShader, llvmpipe: a computer without a usable
     graphics chip, or headless Chromium). There the model's GPU path is emulated on the CPU
     and the package's own CPU path (its wasm build) is far quicker: 0.44 s against 15.7 s a
     frame of the full model in headless Chromium on this 2-core machine (load ~9), so a
     recorded set of 78 frames takes about a minute instead of 20. */
  function softwareWebGL() {
    try {
      var gl = document.createElement("canvas").getContext("webgl");
      if (!gl) return true;
      var info = gl.getExtension("WEBGL_debug_renderer_info");
      var name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || "");
      var lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
      return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
    } catch (e) {
      return false;
    }
  }

  async function create(options) {
    options = options || {};
    await loadScript(BASE + "pose.js");
    var pose = new window.Pose({ locateFile: function (file) { return BASE + file; } });
    var onCpu = softwareWebGL();
    pose.setOptions({
      modelComplexity: options.modelComplexity == null ? 1 : options.modelComplexity,  // 1 = the "full" model, as the server's analysis
      smoothLandmarks: true, enableSegmentation: false, selfieMode: false,
      minDetectionConfidence: 0.5, minTrackingConfidence: 0.5
    });
    // an option of the package (on by its own default on iPhones and iPads, left so elsewhere)
    if (onCpu) pose.setOptions({ useCpuInference: true });
    var latest = null;
    pose.onResults(function (r) { latest = r; });
    await pose.initialize();
    // The model looks at 256 px anyway; handing it a large frame only costs upload time
    // (a lot of it on software WebGL), so big frames are drawn smaller first.
    var maxSide = options.maxSide || 640;
    var canvas = document.createElement("canvas");
    function shrink(source) {
      var size = sizeOf(source), s = Math.max(size.width, size.height);
      if (s <= maxSide) return source;
      var k = maxSide / s;
      canvas.width = Math.round(size.width * k); canvas.height = Math.round(size.height * k);
      canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
      return canvas;
    }
    return {
      /* One frame: landmarks (or null when nobody is found), with the frame's media time. */
      estimate: async function (source, mediaTimeS) {
        latest = null;
        var image = shrink(source);
        await pose.send({ image: image }, Math.round(mediaTimeS * 1000));
        var size = sizeOf(image);
        return { t: mediaTimeS, width: size.width, height: size.height, landmarks: rows(latest && latest.poseLandmarks) };
      },
      inference: onCpu ? "cpu (software WebGL)" : "the package's default",
      reset: function () { pose.reset(); },
      close: function () { return pose.close(); }
    };
  }

  window.BackcoachPose = { create: create, rows: rows };
})();
