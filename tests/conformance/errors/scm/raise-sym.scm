(raise (quote sym))
