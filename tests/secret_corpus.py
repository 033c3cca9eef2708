"""The secret scanner's corpus (issue 24): placeholders as learning logs write them, and credentials.

PLACEHOLDERS are lines of the shapes real notes hold (connection strings of tutorials and local
setups, format strings, documentation's example keys, unsigned tokens, public document links):
none may be reported. WEAK are what may be a credential but is not surely one: a warning each.
`live()` makes credentials in the formats the scanner knows, from random characters, at test
time: the repository holds none, and none of them was ever issued. Each must be an error.
"""

from __future__ import annotations

import base64
import json
import random
import string

ALNUM = string.ascii_letters + string.digits


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


PLACEHOLDERS = [
    "postgres://postgres:password@localhost/db",
    "postgresql://postgres:postgres@localhost:5432/postgres",
    'DATABASE_URL="postgresql://postgres:postgres@localhost:5432/postgres"',
    "export DB_URL='postgres://postgres:password@localhost:5432/mydb?sslmode=disable'",
    "psql postgres://username:password@host.com/dbname?sslmode=require",
    "curl -s http://user:password@<target IP>:9200/_cat/indices",
    "proxy = http://myusername:mypassword@myproxy.domain.com:8080",
    "proxy = http://anything:PAT@myproxy.domain.com:8080",
    'curl "https://USER:PASS@neocities.org/api/key"',
    "postgres://approle:RANDOM_PASSWORD@my-app-db.internal/appdb",
    "ftp://user:pass@ftp.example.com/pub/file.txt",
    'uri = "mongodb+srv://%s:%s@%s/%s" % (user, password, host, db)',
    "DATABASE_URL=postgres://admin:${PASSWORD}@db.example.com/app",
    "mysql://root:<password>@localhost:3306/test",
    "redis://default:{password}@redis-host:6379/0",
    "DATABASE_URL: postgres://postgres:postgres@database:5432/mydb",
    'docker run --env DATABASE_URL="postgres://docker:docker-password@host.docker.internal:5432/app"',
    '-e DATABASE_URL="postgres://postgres:postgres@172.17.0.1:5432/postgres"',
    "amqp://guest:guest@localhost:5672/",
    "mongodb://root:example@mongo:27017/",
    "https://admin:changeme@192.168.1.10:8443/api",
    "postgres://app:s3cr3tPassw0rd@127.0.0.1/app",
    "http://alice:Xk29fLq8Vn@devbox.local:8080/",
    "smtp://apikey:$SENDGRID_API_KEY@smtp.sendgrid.net:587",
    "git clone https://oauth2:{{ token }}@gitlab.com/group/project.git",
    "https://username:***@example.org/",
    "jdbc:postgresql://db:5432/app?user=app&password=...",
    "token: " + _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"sub": "42", "name": "Ada"}) + ".",
    "Authorization: Bearer " + _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64({"sub": "42"}),
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
    "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "https://docs.google.com/spreadsheet/ccc?key=0AmHkQkLDpGNKdGtWaHFKaE1OQ1dYRlEtQ3ZZNHpZdlE&usp=sharing",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    'AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    '"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    "-----BEGIN PUBLIC KEY-----",
    "api_key = os.environ['API_KEY']",
]

WEAK = [
    "redis://rediscloud:dBWHDNWJHECBJEBCW@pub-redis-12345.us-east-2-5.2.ec2.cloudhost.com:12345",
    '"AccessKeyId": "AKIAWXFXAIOZQ7N3VKHB",',
    "postgres://deploy:Qm7vXz2pLk9aWt4e@db.acme-prod.net:5432/main",
]


def live(seed: int = 24) -> dict[str, str]:
    """A credential in each format the scanner must block, made of random characters; name -> text."""
    rng = random.Random(seed)

    def chars(n: int, alphabet: str = ALNUM) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    hex_ = "0123456789abcdef"
    upper = string.ascii_uppercase + string.digits
    key_id = "AKIA" + chars(16, upper)
    secret = chars(19) + "/" + chars(10) + "+" + chars(9)
    signed = ".".join([_b64({"alg": "HS256", "typ": "JWT"}), _b64({"sub": chars(8), "exp": 1900000000}), chars(43, ALNUM + "_-")])
    return {
        "GitHub personal token": "GITHUB_TOKEN=ghp_" + chars(36),
        "GitHub OAuth token": "token gho_" + chars(36),
        "GitHub app token": "ghs_" + chars(36),
        "Slack bot token": "SLACK_TOKEN=xoxb-" + chars(12, string.digits) + "-" + chars(12, string.digits) + "-" + chars(24),
        "Slack webhook": "https://hooks.slack.com/services/T" + chars(8, upper) + "/B" + chars(8, upper) + "/" + chars(24),
        "Stripe live key": 'stripe.api_key = "sk_live_' + chars(24) + '"',
        "Stripe restricted key": "rk_live_" + chars(24),
        "OpenAI key": "OPENAI_API_KEY=sk-" + chars(20) + "T3BlbkFJ" + chars(20),
        "SendGrid key": "SG." + chars(22, ALNUM + "_-") + "." + chars(43, ALNUM + "_-"),
        "Mailchimp key": chars(32, hex_) + "-us12",
        "npm token": "//registry.npmjs.org/:_authToken=npm_" + chars(36),
        "PyPI token": "password = pypi-AgEIcHlwaS5vcmc" + chars(70, ALNUM + "_-"),
        "GitLab token": "glpat-" + chars(20, ALNUM + "_-"),
        "Telegram bot token": chars(9, string.digits) + ":AA" + chars(33, ALNUM + "_-"),
        "Discord bot token": "M" + chars(23) + "." + chars(6, ALNUM + "_-") + "." + chars(27, ALNUM + "_-"),
        "Square OAuth secret": "sq0csp-" + chars(43, ALNUM + "_-"),
        "Twilio API key": "SK" + chars(32, hex_),
        "Azure storage key": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + chars(86, ALNUM + "+/") + "==",
        "private key": "-----BEGIN RSA PRIVATE KEY-----\n" + chars(64, ALNUM + "+/") + "\n-----END RSA PRIVATE KEY-----",
        "OpenSSH private key": "-----BEGIN OPENSSH PRIVATE KEY-----\n" + chars(70, ALNUM + "+/") + "\n-----END OPENSSH PRIVATE KEY-----",
        "signed JSON Web Token": "Authorization: Bearer " + signed,
        "AWS key with its secret (credentials file)": f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}",
        "AWS key with its secret (JSON)": f'"AccessKeyId": "{key_id}",\n"SecretAccessKey": "{secret}",',
        "AWS secret key alone": f'aws_secret_access_key = "{secret}"',
        "IBM Cloud IAM key": 'ibm_cloud_iam_api_key = "' + chars(44, ALNUM + "_-") + '"',
    }
