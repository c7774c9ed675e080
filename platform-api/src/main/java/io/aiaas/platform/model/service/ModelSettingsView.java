package io.aiaas.platform.model.service;

/**
 * A tenant's settings for one model: {@code version} is the pinned version number or {@code "latest"};
 * {@code serving_version} is where a call naming no version goes now (null when no version is callable), and
 * {@code ready} whether a worker serves it now.
 */
public record ModelSettingsView(String model, Object version, Integer servingVersion, boolean ready) {
}
