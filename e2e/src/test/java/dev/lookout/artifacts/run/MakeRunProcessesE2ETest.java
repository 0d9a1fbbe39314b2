package dev.lookout.artifacts.run;

/** {@code make run} without an engine: Alertmanager, Prometheus, blackbox, the demo ComfyUI and Lookout's jar as processes. */
class MakeRunProcessesE2ETest extends MakeRunScenario {
    @Override
    String mode() {
        return "processes";
    }

    @Override
    String comfyTarget() {
        return "http://127.0.0.1:" + comfy + "/object_info/CheckpointLoaderSimple";
    }

    @Override
    String screenshot() {
        return "status-page.png";
    }
}
