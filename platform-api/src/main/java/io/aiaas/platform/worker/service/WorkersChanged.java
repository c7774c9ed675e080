package io.aiaas.platform.worker.service;

/** CDI event fired after this replica committed a change to workers or placements; routing reloads on it. */
public record WorkersChanged(String why) {
}
