package dev.lookout.nginx;

import dev.lookout.api.ResourceStatus;

public class NginxVtsTargetStatus extends ResourceStatus {
    private String imageId;
    private String imageTag;
    private String containerId;
    private String containerState;
    private String scrapeEndpoint;
    private String vtsVersion;
    private String nginxVersion;
    private String lastBuildDuration;

    public String getImageId() { return imageId; }
    public void setImageId(String imageId) { this.imageId = imageId; }
    public String getImageTag() { return imageTag; }
    public void setImageTag(String imageTag) { this.imageTag = imageTag; }
    public String getContainerId() { return containerId; }
    public void setContainerId(String containerId) { this.containerId = containerId; }
    public String getContainerState() { return containerState; }
    public void setContainerState(String containerState) { this.containerState = containerState; }
    public String getScrapeEndpoint() { return scrapeEndpoint; }
    public void setScrapeEndpoint(String scrapeEndpoint) { this.scrapeEndpoint = scrapeEndpoint; }
    /** The nginx-module-vts version the running image was built with (absent for a prebuilt image). */
    public String getVtsVersion() { return vtsVersion; }
    public void setVtsVersion(String vtsVersion) { this.vtsVersion = vtsVersion; }
    /** The base image's nginx the module was compiled against, as its {@code nginx -v} says (absent for a prebuilt image). */
    public String getNginxVersion() { return nginxVersion; }
    public void setNginxVersion(String nginxVersion) { this.nginxVersion = nginxVersion; }
    /** How long the running image's build took ({@code 41s}), as the image records it; absent for a prebuilt image. */
    public String getLastBuildDuration() { return lastBuildDuration; }
    public void setLastBuildDuration(String lastBuildDuration) { this.lastBuildDuration = lastBuildDuration; }
}
