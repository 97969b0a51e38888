# Production image: gunicorn web, Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries, DejaVu fonts (Cyrillic and every Kazakh letter), gettext for the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fontconfig gettext \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY pyproject.toml requirements.lock README.md ./
COPY housing_aid housing_aid
COPY applications applications
COPY certificates certificates
COPY complaints complaints
RUN pip install --no-cache-dir -c requirements.lock .

COPY . .
RUN DJANGO_DEBUG=1 python manage.py compilemessages -v 0 --ignore=.venv \
 && DJANGO_DEBUG=1 python manage.py collectstatic --no-input -v 0

USER app
EXPOSE 8000
CMD ["gunicorn", "housing_aid.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
