#!/usr/bin/python3
"""Generates sun_elevation_reference.csv: golden instants at which the sun's
centre crosses a given elevation, for the sun(E) time expressions, from PyEphem
4.1 (Debian python3-ephem; libastro's VSOP87 ephemeris, no code shared with
the NOAA series in gateway/policy/solar.cpp).

Geometric elevation (pressure 0: no refraction), as sun(E) is defined.
Columns: label, latitude, longitude, date (the solar day: its noon falls on
this UTC date, which for Sweden is also the local date), elevation, direction
(rising before that noon, setting after it), result, noon_alt, low_alt where
result is the UTC instant, "above" (the sun stays above E all solar day:
midnight sun side) or "below" (stays below: polar night side). noon_alt and
low_alt are the elevations at upper and lower culmination, so the test can
tell a grazing day (E within a fraction of a degree of either) from a real
disagreement.
Run:  /usr/bin/python3 gen_sun_elevation_reference.py > sun_elevation_reference.csv
"""
import datetime
import math

import ephem

SITES = [("lat56", 56.0, 13.0), ("lat65_7", 65.7, 21.0), ("lat68", 68.0, 20.0)]
ELEVATIONS = [-3.0, -6.5, 2.0]


def alt_at(obs, when):
    obs.date = when
    sun = ephem.Sun(obs)
    return math.degrees(float(sun.alt))


def main():
    print("label,latitude,longitude,date,elevation,direction,result,noon_alt,low_alt")
    days = []
    d = datetime.date(2025, 1, 2)
    while d.year == 2025:
        days.append(d)
        d += datetime.timedelta(days=5)
    days += [datetime.date(2025, 6, 21), datetime.date(2025, 12, 21), datetime.date(2026, 3, 29),
             datetime.date(2026, 10, 25)]
    for label, lat, lon in SITES:
        obs = ephem.Observer()
        obs.lat, obs.lon = str(lat), str(lon)
        obs.pressure = 0
        obs.elevation = 0
        for day in sorted(set(days)):
            obs.date = ephem.Date(datetime.datetime(day.year, day.month, day.day))
            noon = obs.next_transit(ephem.Sun())
            noon_alt = alt_at(obs, noon)
            for direction in ("rising", "setting"):
                low = ephem.Date(noon - 0.5) if direction == "rising" else ephem.Date(noon + 0.5)
                obs.date = low
                low = obs.previous_antitransit(ephem.Sun()) if direction == "rising" else \
                    obs.next_antitransit(ephem.Sun())
                low_alt = alt_at(obs, low)
                for elevation in ELEVATIONS:
                    if low_alt >= elevation:
                        result = "above"
                    elif noon_alt < elevation:
                        result = "below"
                    else:
                        obs.horizon = str(elevation)
                        obs.date = noon
                        try:
                            if direction == "rising":
                                t = obs.previous_rising(ephem.Sun(), start=noon, use_center=True)
                            else:
                                t = obs.next_setting(ephem.Sun(), start=noon, use_center=True)
                            dt = ephem.Date(t).datetime() + datetime.timedelta(microseconds=500000)
                            result = dt.strftime("%Y-%m-%dT%H:%M:%SZ")
                        except ephem.AlwaysUpError:  # grazing: libastro's own verdict
                            result = "above"
                        except ephem.NeverUpError:
                            result = "below"
                    print(f"{label},{lat},{lon},{day.isoformat()},{elevation},{direction},{result},"
                          f"{noon_alt:.3f},{low_alt:.3f}")


if __name__ == "__main__":
    main()
