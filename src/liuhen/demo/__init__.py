"""Demo data: the five agencies of the seeds, their people and example cases (``liuhen demo``)."""
