// Registers Kefu's service worker once the first screen is shown (index.html's "kefu-started"),
// so caching the whole build never competes with the first load, and tells the app (event
// "kefu-update-available") when a newer build is installed and waiting;
// window.kefuApplyUpdate() switches to it and reloads.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var updateRequested = false;

  function announce() {
    window.kefuUpdateWaiting = true;
    window.dispatchEvent(new Event("kefu-update-available"));
  }

  window.kefuApplyUpdate = function () {
    updateRequested = true;
    navigator.serviceWorker.getRegistration().then(function (registration) {
      if (registration && registration.waiting) {
        var next = registration.waiting;
        // Chromium activates it only once the current worker has no request in flight:
        // the steps are logged, so a switch that is slow to come can be told apart.
        next.addEventListener("statechange", function () {
          console.info("kefu: the new build's worker is " + next.state);
        });
        next.postMessage("kefu-skip-waiting");
      } else {
        location.reload();
      }
    });
  };

  // The first install also changes the controller (clients.claim); only reload on request.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!updateRequested) return;
    console.info("kefu: the new build took over; reloading");
    location.reload();
  });

  function register() {
    navigator.serviceWorker.register("/sw.js").then(function (registration) {
      if (registration.waiting && navigator.serviceWorker.controller) announce();
      registration.addEventListener("updatefound", function () {
        var worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) announce();
        });
      });
      // Shifts are long: look for a new build every half hour too.
      setInterval(function () { registration.update(); }, 30 * 60 * 1000);
    });
  }

  if (window.kefuStarted) register();
  else addEventListener("kefu-started", register, { once: true });
})();
