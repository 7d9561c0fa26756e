// The app's side of the map: a Streamlit (components v2) element holding the map page.
//
// The page (a folium map with layers/claims_layer.py) is a static file named by its
// content: it is loaded once per dataset and filter set. On every rerun the app sends
// only the view (window, metric, province, layers, playback settings), which is handed
// to the page's `armSetView`; the page reports back through `frameElement.armReport`:
// the window when playback pauses (state "window"), a clicked area ("selected") or
// event ("event").
export default function (component) {
  const { data, setStateValue, setTriggerValue, parentElement } = component;
  let s = parentElement.__arm;
  if (!s) {
    s = parentElement.__arm = { url: null, loaded: false };
    const frame = document.createElement("iframe");
    frame.title = "Map of claimed events, resistance presence and areas";
    frame.style.cssText = "width:100%;border:0;display:block";
    frame.className = "arm-map-frame";
    // A skeleton over the frame until the map page has loaded (a new dataset shows it again).
    const skeleton = document.createElement("div");
    skeleton.className = "arm-map-skeleton";
    skeleton.textContent = "Loading the map…";
    skeleton.style.cssText = "position:absolute;inset:0;display:flex;align-items:center;" +
      "justify-content:center;color:#555;font:14px system-ui,sans-serif;border-radius:4px;" +
      "background:linear-gradient(100deg,#eceff1 30%,#f7f8f9 50%,#eceff1 70%) 0 0/300% 100%;" +
      "animation:arm-shimmer 1.4s linear infinite";
    const keyframes = document.createElement("style");
    keyframes.textContent = "@keyframes arm-shimmer{to{background-position:-150% 0}}";
    parentElement.style.position = "relative";
    parentElement.append(keyframes, frame, skeleton);
    s.frame = frame;
    s.skeleton = skeleton;
  }
  s.frame.style.height = `${data.height}px`;
  s.frame.armReport = (kind, value) => {
    if (kind === "window") setStateValue("window", value);
    else setTriggerValue(kind, value);
  };
  s.view = data.view;
  const push = () => {
    const inner = s.frame.contentWindow;
    if (inner && typeof inner.armSetView === "function") inner.armSetView(s.view);
  };
  if (s.url !== data.url) {
    s.url = data.url;
    s.loaded = false;
    s.skeleton.style.display = "flex";
    s.frame.onload = () => {
      s.loaded = true;
      s.skeleton.style.display = "none";
      push();
    };
    s.frame.src = data.url;
  } else if (s.loaded) {
    push();
  }
}
