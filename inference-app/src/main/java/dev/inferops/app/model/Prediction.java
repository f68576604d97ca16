package dev.inferops.app.model;

/** One scored row: the predicted class and the probability of the positive one. */
public record Prediction(int label, double probability) {}
