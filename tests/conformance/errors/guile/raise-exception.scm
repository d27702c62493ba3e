(raise-exception (quote sym))
