package io.kuzet.server.registry;

/** The order's risk level: sets the reporting rate and moves alert severity (proportionality). */
public enum RiskLevel { LOW, MEDIUM, HIGH }
