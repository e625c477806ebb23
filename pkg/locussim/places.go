package locussim

// place is a US location sites are generated around, with the climate
// parameters the weather model uses.
type place struct {
	city, state, stateCode, zip string
	lat, lon                    float64
	tz                          string  // IANA zone (locationTimezone)
	clientTZ                    string  // the legacy US/... alias clients carry
	tmeanC, tampC               float64 // annual mean temperature and seasonal half-swing, °C
	sunny                       float64 // probability that a day is clear
	tmy3                        int64
}

// places spans several US time zones, including Arizona (no DST) and Hawaii.
var places = []place{
	{"San Francisco", "California", "CA", "94105", 37.78, -122.40, "America/Los_Angeles", "US/Pacific", 14.5, 3.5, 0.58, 724940},
	{"Fresno", "California", "CA", "93721", 36.74, -119.79, "America/Los_Angeles", "US/Pacific", 17.5, 9.5, 0.78, 723890},
	{"Bakersfield", "California", "CA", "93301", 35.37, -119.02, "America/Los_Angeles", "US/Pacific", 18.5, 9.5, 0.80, 723840},
	{"San Diego", "California", "CA", "92101", 32.72, -117.16, "America/Los_Angeles", "US/Pacific", 17.5, 3.5, 0.72, 722900},
	{"Sacramento", "California", "CA", "95814", 38.58, -121.49, "America/Los_Angeles", "US/Pacific", 16.5, 8.5, 0.74, 724830},
	{"Portland", "Oregon", "OR", "97204", 45.52, -122.68, "America/Los_Angeles", "US/Pacific", 12.5, 7.5, 0.38, 726980},
	{"Las Vegas", "Nevada", "NV", "89101", 36.17, -115.14, "America/Los_Angeles", "US/Pacific", 20.5, 12.0, 0.85, 723860},
	{"Phoenix", "Arizona", "AZ", "85004", 33.45, -112.07, "America/Phoenix", "US/Arizona", 23.5, 10.5, 0.86, 722780},
	{"Tucson", "Arizona", "AZ", "85701", 32.22, -110.97, "America/Phoenix", "US/Arizona", 21.0, 9.5, 0.84, 722740},
	{"Denver", "Colorado", "CO", "80202", 39.74, -104.99, "America/Denver", "US/Mountain", 10.5, 11.0, 0.68, 725650},
	{"Albuquerque", "New Mexico", "NM", "87102", 35.08, -106.65, "America/Denver", "US/Mountain", 14.0, 10.5, 0.80, 723650},
	{"Salt Lake City", "Utah", "UT", "84101", 40.76, -111.89, "America/Denver", "US/Mountain", 11.5, 12.5, 0.66, 725720},
	{"Austin", "Texas", "TX", "78701", 30.27, -97.74, "America/Chicago", "US/Central", 20.5, 8.5, 0.64, 722540},
	{"San Antonio", "Texas", "TX", "78205", 29.42, -98.49, "America/Chicago", "US/Central", 21.0, 8.0, 0.63, 722530},
	{"Minneapolis", "Minnesota", "MN", "55401", 44.98, -93.27, "America/Chicago", "US/Central", 7.5, 15.5, 0.45, 726580},
	{"Chicago", "Illinois", "IL", "60601", 41.88, -87.63, "America/Chicago", "US/Central", 10.0, 13.0, 0.44, 725300},
	{"Newark", "New Jersey", "NJ", "07102", 40.74, -74.17, "America/New_York", "US/Eastern", 12.5, 11.5, 0.48, 725020},
	{"Hoboken", "New Jersey", "NJ", "07030", 40.74, -74.03, "America/New_York", "US/Eastern", 12.5, 11.5, 0.48, 725020},
	{"Boston", "Massachusetts", "MA", "02108", 42.36, -71.06, "America/New_York", "US/Eastern", 10.5, 12.0, 0.47, 725090},
	{"Raleigh", "North Carolina", "NC", "27601", 35.78, -78.64, "America/New_York", "US/Eastern", 15.5, 10.0, 0.60, 723060},
	{"Orlando", "Florida", "FL", "32801", 28.54, -81.38, "America/New_York", "US/Eastern", 23.0, 5.5, 0.62, 722050},
	{"Honolulu", "Hawaii", "HI", "96813", 21.31, -157.86, "Pacific/Honolulu", "US/Hawaii", 25.5, 2.0, 0.70, 911820},
}

var streetNames = []string{
	"Mission St", "Hudson Pl", "Industrial Way", "Commerce Dr", "Solar Ave", "Market St",
	"Oak St", "Airport Rd", "Warehouse Blvd", "Harbor Dr", "Ranch Rd", "Main St",
	"Elm St", "Pine Ave", "Distribution Ct", "Valley Rd",
}

var siteKinds = [...][]string{
	classResidential: {"Residence", "Home", "Rooftop"},
	classCommercial:  {"Warehouse", "Distribution Center", "School", "Office Park", "Retail Center", "Cold Storage", "Municipal Garage"},
	classUtility:     {"Solar Farm", "Solar Ranch", "PV Plant"},
}

var firstNames = []string{"Ava", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonah", "Kara", "Luis", "Maya", "Noah", "Olive", "Priya"}
var lastNames = []string{"Alvarez", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Iyer", "Jensen", "Kim", "Lopez", "Morgan", "Nakamura", "Okafor", "Patel"}
var orgNames = []string{"Sunfleet", "Bright Acres", "Helio Holdings", "Clearview Energy", "Mesa Power", "Northwind Solar", "Blue Ridge Renewables", "Coastal PV"}
var installers = []string{"ABC Solar", "SunCrew Installers", "Helios Construction", "Bright Path Electric", "Summit Solar Services"}
var crews = []string{"Crew A", "Crew B", "North Crew", "South Crew"}
