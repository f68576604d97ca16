package dev.inferops.operator.rollout;

import dev.inferops.operator.events.EventRecorder.Reason;

/** An Event a rollout decision asks to record about the InferenceService. */
public record Announcement(boolean warning, Reason reason, String message) {}
