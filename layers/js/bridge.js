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
    parentElement.appendChild(frame);
    s.frame = frame;
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
    s.frame.onload = () => {
      s.loaded = true;
      push();
    };
    s.frame.src = data.url;
  } else if (s.loaded) {
    push();
  }
}
