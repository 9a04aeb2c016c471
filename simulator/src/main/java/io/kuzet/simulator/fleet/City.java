package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import java.time.ZoneId;
import java.util.List;

/**
 * The default cities with real landmarks (coordinates rounded to ~50 m): residential districts where subjects live,
 * workplaces, and errand destinations. Immutable.
 */
public enum City {
    ALMATY("Almaty", ZoneId.of("Asia/Almaty"), List.of(
            new Place("Orbita microdistrict", new GeoPoint(43.1985, 76.8660), PlaceKind.RESIDENTIAL),
            new Place("Aksai microdistrict", new GeoPoint(43.2330, 76.8330), PlaceKind.RESIDENTIAL),
            new Place("Samal-2", new GeoPoint(43.2270, 76.9550), PlaceKind.RESIDENTIAL),
            new Place("Zhetysu microdistrict", new GeoPoint(43.2560, 76.8690), PlaceKind.RESIDENTIAL),
            new Place("Tastak", new GeoPoint(43.2470, 76.8950), PlaceKind.RESIDENTIAL),
            new Place("Almaty-2 station", new GeoPoint(43.2710, 76.9400), PlaceKind.WORK),
            new Place("Esentai business centre", new GeoPoint(43.2185, 76.9280), PlaceKind.WORK),
            new Place("KazNU campus", new GeoPoint(43.2250, 76.9240), PlaceKind.WORK),
            new Place("Almaty-1 station", new GeoPoint(43.3420, 76.9500), PlaceKind.WORK),
            new Place("Green Bazaar", new GeoPoint(43.2627, 76.9537), PlaceKind.ERRAND),
            new Place("Mega Alma-Ata", new GeoPoint(43.2020, 76.8920), PlaceKind.ERRAND),
            new Place("Dostyk Plaza", new GeoPoint(43.2330, 76.9570), PlaceKind.ERRAND),
            new Place("Panfilov Park", new GeoPoint(43.2587, 76.9531), PlaceKind.ERRAND),
            new Place("Republic Square", new GeoPoint(43.2380, 76.9450), PlaceKind.ERRAND))),
    ASTANA("Astana", ZoneId.of("Asia/Almaty"), List.of(
            new Place("Saryarka district", new GeoPoint(51.1750, 71.4200), PlaceKind.RESIDENTIAL),
            new Place("Almaty district", new GeoPoint(51.1500, 71.4850), PlaceKind.RESIDENTIAL),
            new Place("Baikonur district", new GeoPoint(51.1650, 71.4450), PlaceKind.RESIDENTIAL),
            new Place("Nura district", new GeoPoint(51.0950, 71.4400), PlaceKind.RESIDENTIAL),
            new Place("Astana-1 station", new GeoPoint(51.1960, 71.4100), PlaceKind.WORK),
            new Place("Nurly Zhol station", new GeoPoint(51.1100, 71.5310), PlaceKind.WORK),
            new Place("Eurasian National University", new GeoPoint(51.1620, 71.4650), PlaceKind.WORK),
            new Place("EXPO business centre", new GeoPoint(51.0900, 71.4160), PlaceKind.WORK),
            new Place("Khan Shatyr", new GeoPoint(51.1324, 71.4036), PlaceKind.ERRAND),
            new Place("Baiterek", new GeoPoint(51.1283, 71.4305), PlaceKind.ERRAND),
            new Place("Mega Silk Way", new GeoPoint(51.0890, 71.4090), PlaceKind.ERRAND),
            new Place("Central Park", new GeoPoint(51.1530, 71.4270), PlaceKind.ERRAND)));

    private final String displayName;
    private final ZoneId timeZone;
    private final List<Place> places;

    City(String displayName, ZoneId timeZone, List<Place> places) {
        this.displayName = displayName;
        this.timeZone = timeZone;
        this.places = places;
    }

    public String displayName() {
        return displayName;
    }

    public ZoneId timeZone() {
        return timeZone;
    }

    public List<Place> places(PlaceKind kind) {
        return places.stream().filter(p -> p.kind() == kind).toList();
    }
}
