"""台账 Taizhang: the record, figures and reports of a township's thematic-education campaign."""
