package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** How many pods run one image and how many of them are ready. */
public class ImageStatus {

  @JsonPropertyDescription("Container image.")
  private String image;

  @JsonPropertyDescription("Number of pods running this image.")
  private Integer replicas;

  @JsonPropertyDescription("Number of those pods that are ready.")
  private Integer readyReplicas;

  public ImageStatus() {}

  public ImageStatus(String image, int replicas, int readyReplicas) {
    this.image = image;
    this.replicas = replicas;
    this.readyReplicas = readyReplicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageStatus that
        && Objects.equals(image, that.image)
        && Objects.equals(replicas, that.replicas)
        && Objects.equals(readyReplicas, that.readyReplicas);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, replicas, readyReplicas);
  }

  @Override
  public String toString() {
    return image + "=" + readyReplicas + "/" + replicas;
  }
}
