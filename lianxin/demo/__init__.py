"""The demo district (示范区): fictional reference data and a year of case history,
built through the real services so every case has a genuine timeline."""
