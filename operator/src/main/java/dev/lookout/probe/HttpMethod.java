package dev.lookout.probe;

/** Methods blackbox's http prober sends; ComfyUI's read endpoints answer GET. */
public enum HttpMethod {
    GET, HEAD, POST
}
