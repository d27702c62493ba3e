(car 1)
