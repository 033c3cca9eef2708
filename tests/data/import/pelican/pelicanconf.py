AUTHOR = 'Cy'
SITENAME = "Cy's Learning Log"
SITEURL = ''

PATH = 'content'
TIMEZONE = 'Europe/Paris'
DEFAULT_LANG = 'en'

ARTICLE_URL = 'posts/{date:%Y}/{slug}/'
ARTICLE_SAVE_AS = 'posts/{date:%Y}/{slug}/index.html'
STATIC_PATHS = ['images']

THEME_STATIC_DIR = 'theme'
LINKS = (('Pelican', 'https://getpelican.com/'),)
