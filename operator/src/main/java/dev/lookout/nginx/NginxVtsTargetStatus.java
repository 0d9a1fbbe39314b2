package dev.lookout.nginx;

import dev.lookout.api.ResourceStatus;

public class NginxVtsTargetStatus extends ResourceStatus {
    private String imageId;
    private String imageTag;
    private String containerId;
    private String containerState;
    private String scrapeEndpoint;

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
}
