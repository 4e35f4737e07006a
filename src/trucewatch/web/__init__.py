"""The dashboard: pages rendered on the server, served by ``trucewatch serve`` beside the API.

Every page reads with JavaScript off (the map is the only part that needs it); every text
from an article is escaped by the templates; filters live in the URL, so a view can be
shared as a link.
"""
