package io.kuzet.simulator.fleet;

/** What a place is used for in a daily routine. */
public enum PlaceKind { RESIDENTIAL, WORK, ERRAND }
