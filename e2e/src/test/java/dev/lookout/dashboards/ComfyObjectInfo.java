package dev.lookout.dashboards;

/**
 * ComfyUI's {@code GET /object_info/<node class>} as the probes see it: the node's definition when ComfyUI has that
 * node, {@code {}} when it does not (ComfyUI answers 200 either way, which is why a probe matches the body).
 */
final class ComfyObjectInfo {
    static final String CHECKPOINT_LOADER = """
            {"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [["sd_xl_base_1.0.safetensors"], {}]}}, \
            "output": ["MODEL", "CLIP", "VAE"], "name": "CheckpointLoaderSimple", "display_name": "Load Checkpoint", \
            "category": "loaders", "output_node": false}}""";

    private ComfyObjectInfo() {
    }

    static String answer(String path) {
        return path.equals("/object_info/CheckpointLoaderSimple") ? CHECKPOINT_LOADER : "{}";
    }
}
