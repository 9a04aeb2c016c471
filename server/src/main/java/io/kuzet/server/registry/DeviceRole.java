package io.kuzet.server.registry;

/** What a device is: the offender's bracelet, a victim's unit (for proximity rules) or a home beacon. */
public enum DeviceRole { BRACELET, VICTIM_UNIT, HOME_BEACON }
