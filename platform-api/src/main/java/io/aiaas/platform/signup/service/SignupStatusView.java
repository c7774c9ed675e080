package io.aiaas.platform.signup.service;

/**
 * Sign-up as the calling person sees it: whether it is open, the plan a new tenant starts on, and how many tenants
 * they have created of the {@code max_tenants_per_person} allowed.
 */
public record SignupStatusView(boolean open, String planName, int maxTenantsPerPerson, long tenantsCreated) {
}
