package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/**
 * What the live pods' copies to a blue-green preview showed so far, counted since the shadow
 * started for that preview.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ShadowStatus {

  @JsonPropertyDescription("Revision (template hash) of the preview the copies went to.")
  private String revision;

  @JsonPropertyDescription("Revision whose live pods copied their requests.")
  private String liveRevision;

  @JsonPropertyDescription("Requests the live pods copied to the preview.")
  private Long copied;

  @JsonPropertyDescription("Copies whose answer was compared with the live answer.")
  private Long compared;

  @JsonPropertyDescription("Compared answers that agreed with the live answer.")
  private Long agreed;

  @JsonPropertyDescription(
      "Copies the live pods did not send because their bounded queue was full.")
  private Long dropped;

  @JsonPropertyDescription(
      "Copies the preview did not answer with 200 in time; they are not compared.")
  private Long failed;

  @JsonPropertyDescription(
      "Agreement so far and what it is held against, e.g. 'agreement 99.4 % over 1,208"
          + " requests (99 % required over 200)'; or why nothing could be counted.")
  private String message;

  @JsonPropertyDescription("When the live pods' counters were last read (RFC 3339).")
  private String readAt;

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getLiveRevision() {
    return liveRevision;
  }

  public void setLiveRevision(String liveRevision) {
    this.liveRevision = liveRevision;
  }

  public Long getCopied() {
    return copied;
  }

  public void setCopied(Long copied) {
    this.copied = copied;
  }

  public Long getCompared() {
    return compared;
  }

  public void setCompared(Long compared) {
    this.compared = compared;
  }

  public Long getAgreed() {
    return agreed;
  }

  public void setAgreed(Long agreed) {
    this.agreed = agreed;
  }

  public Long getDropped() {
    return dropped;
  }

  public void setDropped(Long dropped) {
    this.dropped = dropped;
  }

  public Long getFailed() {
    return failed;
  }

  public void setFailed(Long failed) {
    this.failed = failed;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getReadAt() {
    return readAt;
  }

  public void setReadAt(String readAt) {
    this.readAt = readAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShadowStatus that
        && Objects.equals(revision, that.revision)
        && Objects.equals(liveRevision, that.liveRevision)
        && Objects.equals(copied, that.copied)
        && Objects.equals(compared, that.compared)
        && Objects.equals(agreed, that.agreed)
        && Objects.equals(dropped, that.dropped)
        && Objects.equals(failed, that.failed)
        && Objects.equals(message, that.message)
        && Objects.equals(readAt, that.readAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        revision, liveRevision, copied, compared, agreed, dropped, failed, message, readAt);
  }
}
