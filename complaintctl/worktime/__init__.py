"""Time: instants as records store them (`times`), the working-day table of a country's calendar
(`calendar`), and the one module that turns limits into due instants (`arithmetic`). Nothing else in
complaintctl adds days to dates."""
