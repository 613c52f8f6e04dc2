"""API tokens for scripts: each user creates (or replaces) and revokes their own.

The key is shown once, in the response that creates it.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenStatusSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)


class TokenCreatedSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send as 'Authorization: Token <key>'. Shown only now.")
    created = serializers.DateTimeField()


class TokenView(APIView):
    @extend_schema(responses={200: TokenStatusSerializer}, summary="Whether you have an API token")
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        return Response({"exists": token is not None, "created": token.created if token else None})

    @extend_schema(
        request=None, responses={201: TokenCreatedSerializer}, summary="Create (or replace) your token"
    )
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response({"key": token.key, "created": token.created}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None}, summary="Revoke your token")
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
